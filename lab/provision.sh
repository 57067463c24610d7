#!/bin/sh
# Runs inside each lab VM on its first boot (Vagrant's shell provisioner, as root).
# LAB_PUBLIC_KEY, LAB_SSH_USER, LAB_IP, LAB_PREFIX_LENGTH and LAB_PROVIDER come from the
# lab plan through the Vagrantfile.
set -eu

if [ -z "${LAB_PUBLIC_KEY:-}" ]; then
  echo "no lab SSH key in the plan: bring the lab up with 'cluster-mgr lab up' (or 'task vagrant:up'), which makes it" >&2
  exit 1
fi

home=$(getent passwd "$LAB_SSH_USER" | cut -d: -f6)
install -d -m 0700 -o "$LAB_SSH_USER" -g "$(id -gn "$LAB_SSH_USER")" "$home/.ssh"
touch "$home/.ssh/authorized_keys"
grep -qxF "$LAB_PUBLIC_KEY" "$home/.ssh/authorized_keys" || printf '%s\n' "$LAB_PUBLIC_KEY" >> "$home/.ssh/authorized_keys"
chown "$LAB_SSH_USER" "$home/.ssh/authorized_keys"
chmod 0600 "$home/.ssh/authorized_keys"

if [ "$LAB_PROVIDER" = "tart" ]; then
  # tart's shared network is 192.168.64.0/24 with DHCP; add the planned address to the
  # primary interface as a second, static one so the VM keeps it across reboots
  iface=$(ip -o -4 route show default | awk '{print $5; exit}')
  cat > /etc/netplan/60-kubani-lab.yaml <<NETPLAN
network:
  version: 2
  ethernets:
    $iface:
      addresses: [$LAB_IP/$LAB_PREFIX_LENGTH]
NETPLAN
  chmod 0600 /etc/netplan/60-kubani-lab.yaml
  netplan apply
fi

echo "lab VM $(hostname) ready at $LAB_IP"
