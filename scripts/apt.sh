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
