#!/bin/sh
# The README's first command ends with `scripts/demo.sh`: every step must still behave as
# its caption says (a change of behaviour must change the demo too).
B=${1:-build}
out=$(sh "$(dirname "$0")/../../scripts/demo.sh" "$B" 2>&1)
echo "$out" | grep -q "demo: all steps behaved as expected" && { echo "demo: all steps as captioned"; exit 0; }
echo "$out" | tail -20
exit 1
