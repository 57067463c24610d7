"""Loads inventories with Ansible's own inventory manager (the code behind ansible-inventory)
and prints, per inventory, its groups with their hosts and each host's variables, as JSON.
Usage: python3 ansible_oracle.py INVENTORY...  (run with the python that has ansible)."""
import json
import sys

from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from ansible.vars.manager import VariableManager

MAGIC = {"inventory_hostname", "inventory_hostname_short", "group_names", "groups", "omit",
         "playbook_dir", "ansible_playbook_python", "ansible_config_file", "ansible_facts",
         "ansible_version", "inventory_dir", "inventory_file", "ansible_check_mode", "ansible_diff_mode",
         "ansible_forks", "ansible_inventory_sources", "ansible_skip_tags", "ansible_run_tags",
         "ansible_verbosity", "hostvars", "environment", "vars", "role_names", "play_hosts",
         "ansible_play_hosts", "ansible_play_batch", "ansible_play_hosts_all", "ansible_search_path",
         "ansible_play_name", "ansible_dependent_role_names", "ansible_role_names", "ansible_collection_name",
         "ansible_play_role_names", "ansible_loop_var", "ansible_index_var"}

out = {}
for path in sys.argv[1:]:
    loader = DataLoader()
    inv = InventoryManager(loader=loader, sources=[path])
    vm = VariableManager(loader=loader, inventory=inv)
    groups = {g.name: sorted(h.name for h in g.get_hosts()) for g in inv.groups.values()}
    hostvars = {}
    for h in inv.get_hosts():
        v = vm.get_vars(host=h, include_hostvars=False, include_delegate_to=False)
        hostvars[h.name] = {k: val for k, val in v.items() if k not in MAGIC}
    out[path] = {"groups": groups, "hostvars": hostvars}
json.dump(out, sys.stdout, default=str)
