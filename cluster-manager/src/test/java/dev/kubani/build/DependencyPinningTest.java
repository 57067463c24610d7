package dev.kubani.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Property 15 (dependency format compliance), for a Maven project: every dependency and plugin
 * the build uses is declared in the poms with one exact version, so installs are reproducible.
 */
class DependencyPinningTest {
    private static final Pattern PROP = Pattern.compile("\\$\\{([^}]+)}");
    private static final Pattern EXACT = Pattern.compile("\\d+(\\.\\d+)*([.-][A-Za-z0-9]+)*");

    @Test
    @DisplayName("Property 15: every dependency and plugin is pinned to one exact version in the poms")
    void property15EveryDependencyIsPinned() throws Exception {
        Path root = Path.of(System.getProperty("kubani.repo.root", "..")).toAbsolutePath().normalize();
        Document parent = parse(root.resolve("pom.xml"));
        Map<String, String> props = new HashMap<>();
        NodeList p = ((Element) parent.getElementsByTagName("properties").item(0)).getChildNodes();
        for (int i = 0; i < p.getLength(); i++) {
            if (p.item(i) instanceof Element e) {
                props.put(e.getTagName(), e.getTextContent().trim());
            }
        }
        props.put("project.version", text((Element) parent.getDocumentElement(), "version"));
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (String module : List.of("", "cluster-manager/", "ansible-tests/", "gitops-tests/")) {
            Document pom = parse(root.resolve(module + "pom.xml"));
            for (String tag : List.of("dependency", "plugin")) {
                NodeList deps = pom.getElementsByTagName(tag);
                for (int i = 0; i < deps.getLength(); i++) {
                    Element d = (Element) deps.item(i);
                    String id = text(d, "groupId") + ":" + text(d, "artifactId");
                    String v = text(d, "version");
                    boolean managedPlace = ((Element) d.getParentNode().getParentNode()).getTagName()
                            .matches("dependencyManagement|pluginManagement");
                    if (v == null) {
                        // a module may leave the version to the parent's management
                        if (managedPlace || module.isEmpty()) {
                            problems.add(module + "pom.xml: " + id + " has no version");
                        }
                        continue;
                    }
                    String resolved = resolve(v, props);
                    checked++;
                    if (resolved == null || !EXACT.matcher(resolved).matches() || resolved.contains("SNAPSHOT")) {
                        problems.add(module + "pom.xml: " + id + " version '" + v + "' is not one exact release");
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(checked).isGreaterThan(20);
    }

    private static String resolve(String v, Map<String, String> props) {
        Matcher m = PROP.matcher(v);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String val = props.get(m.group(1));
            if (val == null) {
                return null;
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(val));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String text(Element e, String child) {
        NodeList l = e.getChildNodes();
        for (int i = 0; i < l.getLength(); i++) {
            if (l.item(i) instanceof Element c && c.getTagName().equals(child)) {
                return c.getTextContent().trim();
            }
        }
        return null;
    }

    private static Document parse(Path p) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(Files.newInputStream(p));
    }
}
