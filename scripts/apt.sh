# Sourced by the scripts that install Debian packages: `apt_install PACKAGE...` installs
# them quietly (with sudo when not root), updating the package lists once per boot.
apt_install() {
  local SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  if [ ! -f /tmp/.hromada-apt-updated ]; then
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    touch /tmp/.hromada-apt-updated
  fi
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# `python_venv DIR PIP-ARGS...`: a fresh virtualenv in DIR with those packages, from
# Debian's Python (installing python3 and python3-venv when missing).
python_venv() {
  local dir="$1"
  shift
  local py=python3
  command -v python3 >/dev/null || apt_install python3
  # Debian's python3 has venv (and ensurepip, which venv needs) in python3-venv.
  if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    apt_install python3-venv
    py=/usr/bin/python3
  fi
  rm -rf "$dir"
  mkdir -p "$(dirname "$dir")"
  "$py" -m venv "$dir"
  "$dir/bin/pip" install -q --disable-pip-version-check "$@"
}
