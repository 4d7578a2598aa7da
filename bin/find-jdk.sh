# Sourced by bin/edgebox and bin/test: sets JAVA_HOME to a JDK >= 25 or exits with a clear message.
# Order: $JAVA_HOME, then every JDK under /usr/lib/jvm (newest first), then java on PATH.

edgebox_java_major() {  # prints the feature version of the JDK at $1, or nothing
  local v
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  v=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
  echo "$v"
}

edgebox_find_jdk() {
  local candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for c in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${c%/}"); done
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for c in "${candidates[@]}"; do
    major=$(edgebox_java_major "$c")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      export JAVA_HOME="$c"
      return 0
    fi
  done
  echo "edgebox: needs a JDK 25 or newer; none found in \$JAVA_HOME (${JAVA_HOME:-unset}), /usr/lib/jvm/* or PATH." >&2
  echo "edgebox: install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
  exit 1
}

edgebox_find_jdk
