package dev.kubani.kube;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes one pod straight from the parser into a {@link PodRow}, with no tree: only the fields
 * a row shows are looked at, everything else (managedFields, most of spec, conditions, IPs ...)
 * is skipped token by token without making strings. Strings that repeat from pod to pod
 * (namespace, node, phase, label keys and values) are matched against the ones already seen
 * straight from the parser's buffer, so they cost no new String. The result equals
 * {@link Decoders#pod(JsonNode)} of the same JSON: a value of an unexpected type (a number where
 * a string belongs, an object where an array belongs ...) is read as a tree and given the same
 * JsonNode method the tree decoder uses; a repeated field replaces the earlier one, as in a tree.
 *
 * <p>Not thread-safe: one instance per decoding thread.
 */
final class PodStream {
    private static final int CACHE = 1 << 14;

    /** Recently seen strings by hash of their characters (direct-mapped; a miss only costs a String). */
    private final String[] cache = new String[CACHE];
    private final List<String> labels = new ArrayList<>(8);
    private final List<Decoders.ContainerState> inits = new ArrayList<>(2);
    private final List<Decoders.ContainerState> statuses = new ArrayList<>(4);

    // the pod being read
    private String namespace;
    private String name;
    private long created;
    private boolean deleting;
    private String node;
    private int containers;
    private int initContainers;
    private String reason;
    private String phase;

    /** The parser is on the pod's START_OBJECT; returns with it on the matching END_OBJECT. */
    PodRow read(JsonParser p) throws IOException {
        resetMetadata();
        resetSpec();
        resetStatus();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken t = p.nextToken();
            switch (f) {
                case "metadata" -> {
                    resetMetadata();
                    if (t == JsonToken.START_OBJECT) {
                        metadata(p);
                    } else {
                        p.skipChildren();
                    }
                }
                case "spec" -> {
                    resetSpec();
                    if (t == JsonToken.START_OBJECT) {
                        spec(p);
                    } else {
                        p.skipChildren();
                    }
                }
                case "status" -> {
                    resetStatus();
                    if (t == JsonToken.START_OBJECT) {
                        status(p);
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        return Decoders.pod(namespace, name, created, deleting, labels, node, containers, initContainers, reason, phase,
                inits, statuses);
    }

    private void resetMetadata() {
        namespace = "default";
        name = "";
        created = 0;
        deleting = false;
        labels.clear();
    }

    private void resetSpec() {
        node = null;
        containers = 0;
        initContainers = 0;
    }

    private void resetStatus() {
        reason = null;
        phase = "Unknown";
        inits.clear();
        statuses.clear();
    }

    private void metadata(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String m = p.currentName();
            JsonToken v = p.nextToken();
            switch (m) {
                case "name" -> name = v == JsonToken.VALUE_STRING ? p.getText() : tree(p, v).asText();
                case "namespace" -> namespace = v == JsonToken.VALUE_STRING ? shared(p) : Decoders.intern(tree(p, v).asText("default"));
                case "creationTimestamp" -> created = v == JsonToken.VALUE_STRING ? epochSeconds(p)
                        : Decoders.epochSeconds(v == JsonToken.VALUE_NULL ? null : tree(p, v).asText());
                case "deletionTimestamp" -> {
                    deleting = v != JsonToken.VALUE_NULL;
                    p.skipChildren();
                }
                case "labels" -> {
                    labels.clear();
                    if (v == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String k = p.currentName();
                            JsonToken lv = p.nextToken();
                            String val = lv == JsonToken.VALUE_STRING ? shared(p) : Decoders.intern(tree(p, lv).asText());
                            label(k, val);
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
    }

    /** A repeated label key keeps its first place and takes the last value, as in a JSON tree. */
    private void label(String key, String value) {
        for (int i = 0; i < labels.size(); i += 2) {
            if (labels.get(i).equals(key)) {
                labels.set(i + 1, value);
                return;
            }
        }
        labels.add(Decoders.intern(key));
        labels.add(value);
    }

    private void spec(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String m = p.currentName();
            JsonToken v = p.nextToken();
            switch (m) {
                case "nodeName" -> node = v == JsonToken.VALUE_STRING ? shared(p)
                        : v == JsonToken.VALUE_NULL ? null : Decoders.intern(tree(p, v).asText(null));
                case "containers" -> containers = count(p, v);
                case "initContainers" -> initContainers = count(p, v);
                default -> p.skipChildren();
            }
        }
    }

    /** JsonNode.size() of the value: elements of an array, fields of an object, 0 for anything else. */
    private static int count(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.START_ARRAY) {
            int n = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                p.skipChildren();
                n++;
            }
            return n;
        }
        if (v == JsonToken.START_OBJECT) {
            return p.readValueAsTree().size();
        }
        return 0;
    }

    private void status(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String m = p.currentName();
            JsonToken v = p.nextToken();
            switch (m) {
                case "reason" -> reason = v == JsonToken.VALUE_STRING ? shared(p)
                        : v == JsonToken.VALUE_NULL ? null : tree(p, v).asText(null);
                case "phase" -> phase = v == JsonToken.VALUE_STRING ? shared(p) : tree(p, v).asText("Unknown");
                case "initContainerStatuses" -> states(p, v, inits);
                case "containerStatuses" -> states(p, v, statuses);
                default -> p.skipChildren();
            }
        }
    }

    /** The entries of a containerStatuses-like value; anything but an array is read as the tree decoder reads it. */
    private void states(JsonParser p, JsonToken v, List<Decoders.ContainerState> into) throws IOException {
        into.clear();
        if (v == JsonToken.START_ARRAY) {
            JsonToken e;
            while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                into.add(e == JsonToken.START_OBJECT ? container(p) : skipped(p));
            }
        } else if (v == JsonToken.START_OBJECT) {
            into.addAll(Decoders.states(p.readValueAsTree()));
        }
    }

    private static final Decoders.ContainerState ABSENT = new Decoders.ContainerState(0, false, false, null, false, null, 0, 0,
            false);

    private static Decoders.ContainerState skipped(JsonParser p) throws IOException {
        p.skipChildren();
        return ABSENT;
    }

    private Decoders.ContainerState container(JsonParser p) throws IOException {
        int restarts = 0;
        boolean ready = false;
        boolean waiting = false;
        String waitingReason = null;
        boolean terminated = false;
        String terminatedReason = null;
        int exitCode = 0;
        int signal = 0;
        boolean running = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String m = p.currentName();
            JsonToken v = p.nextToken();
            switch (m) {
                case "restartCount" -> restarts = asInt(p, v);
                case "ready" -> ready = v == JsonToken.VALUE_TRUE || v != JsonToken.VALUE_FALSE && tree(p, v).asBoolean();
                case "state" -> {
                    waiting = false;
                    waitingReason = null;
                    terminated = false;
                    terminatedReason = null;
                    exitCode = 0;
                    signal = 0;
                    running = false;
                    if (v != JsonToken.START_OBJECT) {
                        p.skipChildren();
                        continue;
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String s = p.currentName();
                        JsonToken sv = p.nextToken();
                        switch (s) {
                            case "waiting" -> {
                                waiting = true;
                                waitingReason = null;
                                if (sv != JsonToken.START_OBJECT) {
                                    p.skipChildren();
                                    continue;
                                }
                                while (p.nextToken() == JsonToken.FIELD_NAME) {
                                    JsonToken x = p.nextToken();
                                    if ("reason".equals(p.currentName())) {
                                        waitingReason = reasonText(p, x);
                                    } else {
                                        p.skipChildren();
                                    }
                                }
                            }
                            case "terminated" -> {
                                terminated = true;
                                terminatedReason = null;
                                exitCode = 0;
                                signal = 0;
                                if (sv != JsonToken.START_OBJECT) {
                                    p.skipChildren();
                                    continue;
                                }
                                while (p.nextToken() == JsonToken.FIELD_NAME) {
                                    String tf = p.currentName();
                                    JsonToken x = p.nextToken();
                                    switch (tf) {
                                        case "reason" -> terminatedReason = reasonText(p, x);
                                        case "exitCode" -> exitCode = asInt(p, x);
                                        case "signal" -> signal = asInt(p, x);
                                        default -> p.skipChildren();
                                    }
                                }
                            }
                            case "running" -> {
                                running = true;
                                p.skipChildren();
                            }
                            default -> p.skipChildren();
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new Decoders.ContainerState(restarts, ready, waiting, waitingReason, terminated, terminatedReason, exitCode,
                signal, running);
    }

    /** JsonNode.asText(null) of a reason. */
    private String reasonText(JsonParser p, JsonToken v) throws IOException {
        return v == JsonToken.VALUE_STRING ? shared(p) : v == JsonToken.VALUE_NULL ? null : tree(p, v).asText(null);
    }

    /** JsonNode.asInt() of the value. */
    private static int asInt(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
            return p.getIntValue();
        }
        return tree(p, v).asInt();
    }

    /** The value at the parser as a tree (the slow path, for values of an unexpected type). */
    private static JsonNode tree(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return NullNode.getInstance();
        }
        JsonNode n = p.readValueAsTree();
        return n == null ? NullNode.getInstance() : n;
    }

    /** The current string value, as the same instance as an equal string seen before when there is one. */
    private String shared(JsonParser p) throws IOException {
        char[] c = p.getTextCharacters();
        int off = p.getTextOffset();
        int len = p.getTextLength();
        int h = 0;
        for (int i = off, end = off + len; i < end; i++) {
            h = 31 * h + c[i];
        }
        int slot = (h ^ (h >>> 11) ^ (h >>> 22)) & (CACHE - 1);
        String s = cache[slot];
        if (s != null && s.length() == len && s.hashCode() == h && same(s, c, off, len)) {
            return s;
        }
        s = Decoders.intern(new String(c, off, len));
        cache[slot] = s;
        return s;
    }

    private static boolean same(String s, char[] c, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (s.charAt(i) != c[off + i]) {
                return false;
            }
        }
        return true;
    }

    /** Decoders.epochSeconds of the current string value, without a String for the usual "2026-11-23T08:00:00Z". */
    private static long epochSeconds(JsonParser p) throws IOException {
        char[] c = p.getTextCharacters();
        int off = p.getTextOffset();
        int len = p.getTextLength();
        long s = Decoders.epochSecondsUtc(c, off, len);
        return s != Long.MIN_VALUE ? s : Decoders.epochSeconds(new String(c, off, len));
    }
}
