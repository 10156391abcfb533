#!/usr/bin/env bash
# Installs what the tests need beyond npm: Mono's C# compiler, System.Net.Http and Newtonsoft.Json,
# to compile and run script.csx.
# Idempotent and quick when both are present; needs root or sudo otherwise (Debian/Ubuntu apt).
set -euo pipefail
if [ "$#" -gt 0 ]; then
  echo "setup: takes no arguments, got $* (npm run setup -- --help says what it does)" >&2
  exit 2
fi
have_newtonsoft() { ls /usr/lib/cli/Newtonsoft.Json*/Newtonsoft.Json.dll >/dev/null 2>&1 || dpkg -L libnewtonsoft-json5.0-cil 2>/dev/null | grep -q 'Newtonsoft.Json.dll$'; }
have_net_http() { [ -f /usr/lib/mono/4.5/System.Net.Http.dll ]; }
if command -v mcs >/dev/null 2>&1 && command -v mono >/dev/null 2>&1 && have_newtonsoft && have_net_http; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "setup: Mono is missing and this user cannot install it. Run as root: apt-get install -y mono-mcs libnewtonsoft-json-cil-dev libmono-system-net-http4.0-cil" >&2
    exit 1
  fi
fi
echo "setup: installing Mono (mono-mcs) and Newtonsoft.Json from Debian's packages..." >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq mono-mcs libnewtonsoft-json-cil-dev libmono-system-net-http4.0-cil >/dev/null
command -v mcs >/dev/null && echo "setup: $(mcs --version)" >&2
