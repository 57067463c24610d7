# Sourced by bin/cluster-mgr and bin/cluster-tui (bash). Builds the jar on first use, then starts
# the JVM with a static class-data-sharing archive (AppCDS) dumped after a training run after each build.
# Kept free of subprocesses on the hot path: every fork costs start-up time.
kubani_launch() {
  local main_class="$1"; shift
  local root="$KUBANI_ROOT"
  local jar="$root/cluster-manager/target/kubani.jar"
  if [[ ! -f "$jar" ]]; then
    echo "building $jar (first run; needs JDK 17+ and Maven) ..." >&2
    (cd "$root" && mvn -q -B -ntp -DskipTests -pl cluster-manager -am package) >&2 || {
      echo "error: the build failed; run 'mvn -pl cluster-manager -am package' in $root to see why" >&2
      exit 4
    }
  fi
  local java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  local java_path
  java_path="$(type -P "$java_bin")" || { echo "error: java not found; install JDK 17+ or set JAVA_HOME" >&2; exit 4; }
  export KUBANI_HOME="$root"
  local -a opts
  kubani_workload "$main_class" "$@"
  kubani_jvm_opts "$KUBANI_WORKLOAD"
  opts=("${KUBANI_JVM_OPTS[@]}" -Xss1m -Dfile.encoding=UTF-8 -Dstdout.encoding=UTF-8)
  if [[ -n "${KUBANI_JAVA_OPTS:-}" ]]; then
    local -a extra
    read -r -a extra <<<"$KUBANI_JAVA_OPTS"
    opts+=("${extra[@]}")
  fi
  # 'version' needs a handful of classes: mapping the 20 MB class archive would cost more than it saves.
  if [[ -n "${KUBANI_NO_CDS:-}" || ( $# -eq 1 && ( "$1" == version || "$1" == --version || "$1" == -V ) ) ]]; then
    exec "$java_bin" "${opts[@]}" -cp "$jar" "$main_class" "$@"
  fi
  # One archive per jar build, java binary and class set; the JVM itself rejects an archive that does not
  # match. Short commands get a 'short' archive without the cluster client's and the dashboard's classes:
  # every run maps and relocates its whole archive, so a smaller one starts them faster.
  local set=full
  [[ "$KUBANI_WORKLOAD" == short ]] && set=short
  local cds="$root/cluster-manager/target/kubani-static-$set-${java_path//[^A-Za-z0-9]/_}.jsa"
  if [[ ! -f "$cds" || "$jar" -nt "$cds" ]]; then
    # First run after a build: a training run (dev.kubani.cli.CdsTraining) runs the everyday commands and
    # lists the classes it loads; the JDK's own default list is added, and a static archive is dumped from
    # both and published by rename. About five seconds, once. A static archive, not a dynamic one
    # (-XX:ArchiveClassesAtExit): on JDK 17 only the static dump holds picocli's Java 5 class files, the
    # ~180 classes every command parses its arguments with.
    local tmp="$cds.tmp.$$" list="$cds.classlist.$$"
    "$java_bin" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:DumpLoadedClassList="$list" -Xlog:cds=off \
      -cp "$jar" dev.kubani.cli.CdsTraining "$set" >/dev/null 2>&1 || true
    if [[ -s "$list" ]]; then
      local jdk_list
      jdk_list="$(readlink -f "$java_path")" && jdk_list="${jdk_list%/bin/java}/lib/classlist"
      [[ -f "$jdk_list" ]] && cat "$jdk_list" >>"$list"
      "$java_bin" -Xshare:dump -XX:SharedClassListFile="$list" -XX:SharedArchiveFile="$tmp" -Xlog:cds=off \
        -cp "$jar" >/dev/null 2>&1 || true
    fi
    rm -f "$list"
    if [[ -s "$tmp" ]]; then mv -f "$tmp" "$cds" 2>/dev/null || rm -f "$tmp"; else rm -f "$tmp"; fi
  fi
  if [[ -f "$cds" ]]; then
    exec "$java_bin" "${opts[@]}" -XX:SharedArchiveFile="$cds" -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off \
      -cp "$jar" "$main_class" "$@"
  fi
  exec "$java_bin" "${opts[@]}" -cp "$jar" "$main_class" "$@"
}

# Sets KUBANI_WORKLOAD to the kind of run, from the main class and the first command word (no subprocess):
#   short - a command that ends in well under a second (version, add-node, ...): C1-only JIT, SerialGC,
#           no hsperfdata file;
#   bulk  - 'status', which may decode and print 100 MB of pod lists on several threads: ParallelGC, and still
#           C1 only (measured: C2's profiling tier and compile threads cost more than they save in a run of seconds);
#   tui   - the dashboard (cluster-tui, 'cluster-mgr tui', 'cluster-mgr demo' which ends in it): full JIT,
#           G1 with a short pause goal, so a collection never holds a frame back.
kubani_workload() {
  local main_class="$1"; shift
  KUBANI_WORKLOAD=short
  if [[ "$main_class" == *.TuiMain ]]; then KUBANI_WORKLOAD=tui; return; fi
  local a
  while (($#)); do
    a="$1"; shift
    case "$a" in
      --inventory|-o|--output) shift ;;  # global options that take a value
      --) break ;;
      -*) ;;
      status) KUBANI_WORKLOAD=bulk; return ;;
      tui|demo) KUBANI_WORKLOAD=tui; return ;;
      *) return ;;
    esac
  done
}

# Sets KUBANI_JVM_OPTS (an array) to the JVM flags of a workload (see kubani_workload).
kubani_jvm_opts() {
  case "$1" in
    bulk) KUBANI_JVM_OPTS=(-XX:+UseParallelGC -XX:TieredStopAtLevel=1) ;;
    tui) KUBANI_JVM_OPTS=(-XX:+UseG1GC -XX:MaxGCPauseMillis=10) ;;
    *) KUBANI_JVM_OPTS=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData) ;;
  esac
}
