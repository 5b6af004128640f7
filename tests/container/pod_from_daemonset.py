#!/usr/bin/python3
"""Prints the Pod that a DaemonSet's pod template makes, as podman kube play
takes it (podman 4.3 plays Pods and Deployments, not DaemonSets). The pod's
seccompProfile also becomes the annotation that Kubernetes read before 1.19:
podman 4.3 reads only that.
Usage: pod_from_daemonset.py DAEMONSET.yaml POD_NAME"""
import sys

import yaml


class Dumper(yaml.SafeDumper):
    """Writes shared parts (the volume mounts) out in full: no YAML anchors."""

    def ignore_aliases(self, data):
        return True


def main():
    path, name = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as f:
        daemonset = yaml.safe_load(f)
    if daemonset.get("kind") != "DaemonSet":
        sys.exit(f"{path}: not a DaemonSet")
    template = daemonset["spec"]["template"]
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": template["metadata"].get("labels", {})},
        "spec": template["spec"],
    }
    profile = template["spec"].get("securityContext", {}).get("seccompProfile")
    if profile:
        if profile["type"] != "Localhost":
            sys.exit(f"{path}: a seccompProfile of type {profile['type']}, not Localhost")
        pod["metadata"]["annotations"] = {
            "seccomp.security.alpha.kubernetes.io/pod": "localhost/" + profile["localhostProfile"]
        }
    yaml.dump(pod, sys.stdout, Dumper=Dumper, sort_keys=False)


if __name__ == "__main__":
    main()
