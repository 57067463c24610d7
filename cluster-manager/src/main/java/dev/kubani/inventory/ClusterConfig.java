package dev.kubani.inventory;

import java.util.Map;

/**
 * Cluster-wide settings (seed 000 "Configuration Model"), read from all.vars in hosts.yml and
 * group_vars/all.yml, with the documented defaults for what is unset.
 */
public record ClusterConfig(String clusterName, String k3sVersion, String tailscaleNetwork, String gitRepoUrl,
                            String gitBranch, String fluxNamespace, String clusterDomain, String clusterCidr,
                            String serviceCidr, boolean gitopsEnabled, String distribution) {

    public static ClusterConfig from(Map<String, Object> vars) {
        return new ClusterConfig(
                str(vars, "cluster_name", "kubani"),
                str(vars, "k3s_version", null),
                str(vars, "tailscale_network", "100.64.0.0/10"),
                str(vars, "git_repo_url", null),
                str(vars, "git_branch", "main"),
                str(vars, "flux_namespace", "flux-system"),
                str(vars, "cluster_domain", "cluster.local"),
                str(vars, "cluster_cidr", "10.42.0.0/16"),
                str(vars, "service_cidr", "10.43.0.0/16"),
                !Boolean.FALSE.equals(vars.get("gitops_enabled")),
                str(vars, "k8s_distribution", "k3s"));
    }

    private static String str(Map<String, Object> vars, String k, String dflt) {
        Object v = vars.get(k);
        return v == null ? dflt : String.valueOf(v);
    }
}
