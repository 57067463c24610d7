package dev.kubani.ansibletests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The kubani_template lookup (ansible/lookup_plugins) renders what ansible.builtin.template
 * renders, as text, and fails with one line naming the file or the option.
 */
@DisplayName("kubani_template lookup")
class KubaniTemplateLookupTest {
    static Path work;

    @BeforeAll
    static void setUp() throws IOException {
        assumeTrue(Repo.onPath("ansible-playbook"), "ansible-core is not installed");
        work = AnsibleRun.localHosts("kubani-template", "h1");
        Path templates = Files.createDirectories(work.resolve("templates"));
        // Variables, a loop, a filter, the template variables Ansible adds, an include from the
        // same directory, and a trailing newline.
        Files.writeString(templates.resolve("conf.j2"), """
                # {{ ansible_managed }}
                name: {{ inventory_hostname }}
                {% for k, v in settings | dictsort %}
                {{ k }} = {{ v | string | upper }}
                {% endfor %}
                path: {{ template_path | basename }}
                {% include 'part.j2' %}
                """);
        Files.writeString(templates.resolve("part.j2"), "included: {{ nested.list | join(',') }}\n");
        // Text that is also a Python literal: it must stay text.
        Files.writeString(templates.resolve("literal.j2"), "[1, {{ 1 + 1 }}]");
        // A template of another role, named with role= (a play renders one role's files in another's task).
        Path other = Files.createDirectories(work.resolve("roles/other/templates"));
        Files.writeString(other.resolve("conf.j2"), "other role, {{ inventory_hostname }}\n");
    }

    static Proc.Result play(String tasks) throws IOException {
        Path playbook = work.resolve("play-" + Math.abs(tasks.hashCode()) + ".yml");
        Files.writeString(playbook, """
                - name: Lookup
                  hosts: all
                  gather_facts: false
                  vars:
                    settings: {b: on, a: 1}
                    nested: {list: [x, y]}
                  tasks:
                %s""".formatted(tasks.indent(4)));
        Map<String, String> env = AnsibleRun.env(work);
        return Proc.run(Repo.ansible(), env, 300, "ansible-playbook", "-i", work.resolve("hosts.yml").toString(),
                playbook.toString());
    }

    @Test
    @DisplayName("renders the same text as ansible.builtin.template, and text that looks like data stays text")
    void sameAsBuiltin() throws IOException {
        Proc.Result r = play("""
                - name: Both lookups
                  ansible.builtin.copy:
                    dest: "{{ playbook_dir }}/{{ item.0 }}-{{ item.1 }}.out"
                    content: "{{ lookup(item.0, item.1) }}"
                    mode: "0600"
                  loop: "{{ ['kubani_template', 'ansible.builtin.template'] | product(['conf.j2', 'literal.j2']) | list }}"
                - name: The type of the result
                  ansible.builtin.assert:
                    that:
                      - lookup('kubani_template', 'literal.j2') is string
                      - lookup('kubani_template', 'literal.j2') == '[1, 2]'
                      - lookup('ansible.builtin.template', 'literal.j2') is not string
                """);
        assertThat(r.rc()).as(r.out()).isZero();
        String ours = Files.readString(work.resolve("kubani_template-conf.j2.out"));
        assertThat(ours).isEqualTo(Files.readString(work.resolve("ansible.builtin.template-conf.j2.out")))
                .contains("# Ansible managed", "name: h1", "a = 1", "b = TRUE", "path: conf.j2", "included: x,y");
        assertThat(Files.readString(work.resolve("kubani_template-literal.j2.out"))).isEqualTo("[1, 2]");
    }

    @Test
    @DisplayName("role= takes the file from that role's templates directory, rendered with the task's variables")
    void otherRole() throws IOException {
        Proc.Result r = play("""
                - name: Another role's template
                  ansible.builtin.assert:
                    that:
                      - lookup('kubani_template', 'conf.j2', role='other') | length == 15
                      - (lookup('kubani_template', 'conf.j2', role='other') | trim) == 'other role, h1'
                      - lookup('kubani_template', 'conf.j2') is search('name: h1')
                """);
        assertThat(r.rc()).as(r.out()).isZero();
    }

    @Test
    @DisplayName("a missing file or an option fails the step with one line naming it")
    void errors() throws IOException {
        for (var c : List.of(
                List.of("lookup('kubani_template', 'nope.j2')", "kubani_template: the template file nope.j2 could not be found"),
                List.of("lookup('kubani_template', 'conf.j2', convert_data=true)",
                        "kubani_template takes no options but role (got convert_data)"),
                List.of("lookup('kubani_template', 'conf.j2', role='nope')", "kubani_template: the role nope was not found in "),
                List.of("lookup('kubani_template', 'conf.j2', role='../other')",
                        "kubani_template: role must be a role name (got '../other')"),
                List.of("lookup('kubani_template', 'part.j2', role='other')",
                        "kubani_template: the template file part.j2 could not be found in " + work.resolve("roles/other/templates")))) {
            Proc.Result r = play("""
                    - name: Bad lookup
                      ansible.builtin.debug:
                        msg: "{{ %s }}"
                    """.formatted(c.get(0)));
            assertThat(r.rc()).as(r.out()).isNotZero();
            assertThat(r.out()).contains(c.get(1)).doesNotContain("Traceback");
        }
    }
}
