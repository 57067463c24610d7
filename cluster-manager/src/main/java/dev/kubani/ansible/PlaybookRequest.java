package dev.kubani.ansible;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One ansible-playbook invocation. Extra vars are already checked ({@link ExtraVars#check}).
 */
public record PlaybookRequest(Path playbook, Path inventory, String limit, String tags, String skipTags,
                              List<String> extraVars, boolean check, boolean diff, int verbosity) {

    public PlaybookRequest {
        extraVars = extraVars == null ? List.of() : List.copyOf(extraVars);
    }

    /** A copy with one more -e value. */
    public PlaybookRequest withExtraVar(String v) {
        List<String> ev = new ArrayList<>(extraVars);
        ev.add(v);
        return new PlaybookRequest(playbook, inventory, limit, tags, skipTags, ev, check, diff, verbosity);
    }

    /** The ansible-playbook arguments after the program name. */
    public List<String> arguments() {
        List<String> a = new ArrayList<>();
        a.add("-i");
        a.add(inventory.toString());
        if (limit != null && !limit.isBlank()) {
            a.add("--limit");
            a.add(limit);
        }
        if (tags != null && !tags.isBlank()) {
            a.add("--tags");
            a.add(tags);
        }
        if (skipTags != null && !skipTags.isBlank()) {
            a.add("--skip-tags");
            a.add(skipTags);
        }
        for (String e : extraVars) {
            a.add("-e");
            a.add(e);
        }
        if (check) {
            a.add("--check");
        }
        if (diff) {
            a.add("--diff");
        }
        if (verbosity > 0) {
            a.add("-" + "v".repeat(Math.min(verbosity, 4)));
        }
        a.add(playbook.toString());
        return a;
    }

    /** The command line for people and the run log: extra-vars values hidden (they may hold secrets). */
    public String display() {
        StringBuilder sb = new StringBuilder("ansible-playbook");
        List<String> a = arguments();
        for (int i = 0; i < a.size(); i++) {
            String s = a.get(i);
            boolean hidden = i > 0 && a.get(i - 1).equals("-e");
            sb.append(' ').append(hidden ? "(hidden)" : quote(s));
        }
        return sb.toString();
    }

    private static String quote(String s) {
        return s.matches("[A-Za-z0-9_./:,=@+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
