package dev.kubani.tailscale;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams the JSON of {@code tailscale status --json} (or the LocalAPI's /status) into a
 * {@link TailnetStatus}. It reads only the fields Kubani shows and skips everything else, so
 * it accepts every client from 1.30 on: absent, null and unknown fields are fine, IDs may be
 * strings or numbers beyond 2^53.
 */
public final class StatusParser {
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build())
            .build();

    private StatusParser() {
    }

    /** Thrown when the input is not the JSON status document. */
    public static final class BadStatus extends Exception {
        private static final long serialVersionUID = 1L;

        BadStatus(String m) {
            super(m);
        }
    }

    public static TailnetStatus parse(InputStream in) throws BadStatus {
        try (JsonParser p = JSON.createParser(in)) {
            return parse(p);
        } catch (IOException e) {
            throw new BadStatus("not the JSON of 'tailscale status --json' (" + firstLine(e.getMessage()) + ")");
        }
    }

    public static TailnetStatus parse(String json) throws BadStatus {
        try (JsonParser p = JSON.createParser(json)) {
            return parse(p);
        } catch (IOException e) {
            throw new BadStatus("not the JSON of 'tailscale status --json' (" + firstLine(e.getMessage()) + ")");
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static TailnetStatus parse(JsonParser p) throws IOException, BadStatus {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new BadStatus("expected a JSON object from 'tailscale status --json'");
        }
        String version = null;
        String state = null;
        String suffix = null;
        Peer self = null;
        List<Peer> peers = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken t = p.nextToken();
            switch (f) {
                case "Version" -> version = text(p, t);
                case "BackendState" -> state = text(p, t);
                case "MagicDNSSuffix" -> suffix = text(p, t);
                case "Self" -> self = t == JsonToken.START_OBJECT ? peer(p, true) : null;
                case "Peer" -> {
                    if (t == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            JsonToken pt = p.nextToken();
                            if (pt == JsonToken.START_OBJECT) {
                                peers.add(peer(p, false));
                            } else {
                                p.skipChildren();
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new BadStatus("the status JSON ends early");
        }
        return new TailnetStatus(version, state, suffix, self, peers);
    }

    private static Peer peer(JsonParser p, boolean self) throws IOException {
        String id = null;
        String host = null;
        String dns = null;
        String os = null;
        String lastSeen = null;
        boolean online = false;
        List<String> ips = new ArrayList<>(2);
        List<String> tags = new ArrayList<>(0);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken t = p.nextToken();
            switch (f) {
                case "ID" -> id = text(p, t);
                case "HostName" -> host = text(p, t);
                case "DNSName" -> dns = text(p, t);
                case "OS" -> os = text(p, t);
                case "LastSeen" -> lastSeen = text(p, t);
                case "Online" -> online = t == JsonToken.VALUE_TRUE;
                case "TailscaleIPs" -> strings(p, t, ips);
                case "Tags" -> strings(p, t, tags);
                default -> p.skipChildren();
            }
        }
        return new Peer(id, host, dns, os, ips, tags, online || self, lastSeen, self);
    }

    private static String text(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return p.getText();
        }
        p.skipChildren();
        return null;
    }

    private static void strings(JsonParser p, JsonToken t, List<String> into) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                into.add(p.getText());
            } else {
                p.skipChildren();
            }
        }
    }
}
