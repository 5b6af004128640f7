#!/usr/bin/python3
"""Prints the Pod that a DaemonSet's pod template makes, as podman kube play
takes it (podman 4.3 plays Pods and Deployments, not DaemonSets).
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
    yaml.dump(pod, sys.stdout, Dumper=Dumper, sort_keys=False)


if __name__ == "__main__":
    main()
