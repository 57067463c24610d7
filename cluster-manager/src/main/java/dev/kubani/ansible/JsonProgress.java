package dev.kubani.ansible;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** --output json: one JSON object per line for each ansible event (and for the run's start). */
public final class JsonProgress implements PlaybookRunner.Listener {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PrintWriter out;

    public JsonProgress(PrintWriter out) {
        this.out = out;
    }

    /** Prints one object as a single line. */
    public static void line(PrintWriter out, Map<String, Object> m) {
        try {
            synchronized (out) {
                out.println(JSON.writeValueAsString(m));
                out.flush();
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void started(Path runDir, String commandLine) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", "run_start");
        m.put("command", commandLine);
        m.put("log", runDir.resolve("stdout").toString());
        line(out, m);
    }

    @Override
    public void event(AnsibleEvent e, RunState state) {
        line(out, e.toMap());
    }

    @Override
    public void stopping(RunState state) {
        line(out, Map.of("event", "stopping"));
    }
}
