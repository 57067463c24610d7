package dev.kubani.sops;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON documents to and from plain trees, keeping key order. */
final class JsonCodec {
    private static final ObjectMapper MAPPER;

    static {
        JsonFactory f = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build()).build();
        MAPPER = new ObjectMapper(f);
        MAPPER.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        MAPPER.enable(SerializationFeature.INDENT_OUTPUT);
    }

    private JsonCodec() {
    }

    static Map<String, Object> parse(String text, String source) {
        JsonNode n;
        try {
            n = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? source : source + ":" + e.getLocation().getLineNr();
            throw SopsException.invalid(where + ": not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (n == null || !n.isObject()) {
            throw SopsException.invalid(source + ": a SOPS JSON file must hold one object ({...})");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) convert(n);
        return m;
    }

    private static Object convert(JsonNode n) {
        if (n.isObject()) {
            Map<String, Object> out = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), convert(e.getValue()));
            }
            return out;
        }
        if (n.isArray()) {
            List<Object> out = new ArrayList<>();
            for (JsonNode c : n) {
                out.add(convert(c));
            }
            return out;
        }
        if (n.isNull()) {
            return null;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? (Object) n.longValue() : n.bigIntegerValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        return n.asText();
    }

    static String emit(Map<String, Object> doc) {
        try {
            return MAPPER.writeValueAsString(doc) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
