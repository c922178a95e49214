# Shared helpers for the scripts (sourced, not run).

# apt-get install, after a single `apt-get update` per script run.
_APT_UPDATED=0
apt_install() {
    if [ "${_APT_UPDATED}" = 0 ]; then
        apt-get update -qq
        _APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}
