#!/usr/bin/env bash
# Installs diode-edge on a Raspberry Pi. Not written yet: the .deb packaging comes first (issue 10).
echo "install.sh: not yet available; build and run the agent from source for now (see README.md)" >&2
exit 1
