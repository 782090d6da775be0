# Debian packages the stack needs, installed when missing. Sourced by stack.sh.
# shellcheck shell=bash

_apt_updated=
apt_install() { # PACKAGE... ; installs what is missing, says what it does
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "missing Debian packages: ${missing[*]}; install them as root: apt-get install ${missing[*]}"
  fi
  local SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  say "installing Debian packages: ${missing[*]} (once)"
  if [ -z "$_apt_updated" ]; then
    $SUDO apt-get update -qq >"$CHAT_LOG_DIR/apt.log" 2>&1 || warn "apt-get update failed; trying the install anyway (log: $CHAT_LOG_DIR/apt.log)"
    _apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$CHAT_LOG_DIR/apt.log" 2>&1 \
    || die "could not install ${missing[*]} from Debian's registry (log: $CHAT_LOG_DIR/apt.log); run 'apt-get update && apt-get install ${missing[*]}' by hand"
  ok "installed ${missing[*]}"
}
