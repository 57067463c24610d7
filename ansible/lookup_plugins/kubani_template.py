# -*- coding: utf-8 -*-
# Kubani: render a role's template file on the controller, for kubani_files contents and for the
# checksums the roles compare with kubani_probe.
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = """
    name: kubani_template
    author: Kubani contributors
    short_description: render a template file of the role, as text
    description:
      - Renders each named file, found like C(ansible.builtin.template) finds it (the role's
        C(templates/) directory first), with the task's variables plus C(ansible_managed) and
        the other C(template_*) variables, and returns the text.
      - Unlike C(ansible.builtin.template), it does not deep-copy every variable of the host for
        each file (on a host with a large probe result that copy was most of the render time),
        and it never turns the text into data. The templates it renders only read variables.
      - With C(role), the files are taken from that role's C(templates/) directory instead, for a
        variable of one role that another role's task renders (provision_cluster.yml writes the
        C(tailscale_resilience) files in the K3s files' step).
    options:
      _terms:
        description: Template file names, relative to the role's C(templates/) directory.
        required: true
      role:
        description: Name of the role whose C(templates/) directory holds the files, looked for
          where Ansible looks for roles (the playbook directory's C(roles/), the configured roles
          path, the playbook directory). Default is the task's own role.
        type: str
"""

RETURN = """
  _raw:
    description: The rendered text of each file.
    type: list
    elements: str
"""

import os

from ansible import constants as C
from ansible.errors import AnsibleError
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.lookup import LookupBase
from ansible.template import AnsibleEnvironment, generate_ansible_template_vars


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        role = kwargs.pop("role", None)
        if kwargs:
            raise AnsibleError("kubani_template takes no options but role (got %s); use ansible.builtin.template for those"
                               % ", ".join(sorted(kwargs)))
        variables = variables or {}
        role_dir = self._role_templates(role) if role is not None else None
        templar = self._templar.copy_with_new_env(environment_class=AnsibleEnvironment)
        rendered = []
        for term in terms:
            if role_dir is not None:
                path = os.path.join(role_dir, term)
                if not os.path.isfile(path):
                    raise AnsibleError("kubani_template: the template file %s could not be found in %s" % (term, role_dir))
            else:
                path = self.find_file_in_search_path(variables, "templates", term)
            if not path:
                raise AnsibleError("kubani_template: the template file %s could not be found" % term)
            data, _ = self._loader._get_file_contents(path)
            # Includes inside the template: its own directory, then each search path's
            # templates/ directory and the path itself, as ansible.builtin.template does.
            searchpath = [os.path.dirname(path)]
            for entry in variables.get("ansible_search_path", []):
                searchpath.extend((os.path.join(entry, "templates"), entry))
            # A new top-level mapping, so the template variables added here stay out of the
            # task's own; the values themselves are shared (the templates only read them).
            own = dict(variables)
            own.update(generate_ansible_template_vars(term, path))
            with templar.set_temporary_context(available_variables=own, searchpath=searchpath):
                rendered.append(templar.template(to_text(data, errors="surrogate_or_strict"),
                                                 preserve_trailing_newlines=True, convert_data=False,
                                                 escape_backslashes=False))
        return rendered

    def _role_templates(self, role):
        """The templates/ directory of the named role, searched in Ansible's order for roles."""
        if not isinstance(role, str) or not role or os.sep in role or role in (".", ".."):
            raise AnsibleError("kubani_template: role must be a role name (got %r)" % (role,))
        basedir = self._loader.get_basedir()
        searched = [os.path.join(basedir, "roles")] + list(C.DEFAULT_ROLES_PATH or []) + [basedir]
        for entry in searched:
            candidate = os.path.join(entry, role, "templates")
            if os.path.isdir(candidate):
                return candidate
        raise AnsibleError("kubani_template: the role %s was not found in %s" % (role, ":".join(searched)))
