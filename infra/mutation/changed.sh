#!/usr/bin/env bash
# Mutation testing of the domain files a change touches (docs/mutation-testing.md, "In CI"): Stryker's incremental
# mode over only those files, failing below stryker.config.json's thresholds.break. Exits 0 at once when the change
# touches no domain file.
#
# What "changed" means:
#   MUTATION_BASE=<ref>   the files changed since the merge base of <ref> and HEAD (a branch against main);
#   otherwise             the files the last commit touched (HEAD~1..HEAD; a merge: everything it brought in),
#                         plus, on a working copy, what is modified or new and not committed yet.
# A clone without HEAD~1 (shallow, or the first commit) has nothing to compare with: nothing is mutated.
#
# MUTATION_INCREMENTAL_FILE (default reports/mutation/changed.incremental.json): keep it between CI runs (a cache)
# and a re-run only tests the mutants whose code or covering tests changed.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:$PATH"

started=$(date +%s)
incremental_file="${MUTATION_INCREMENTAL_FILE:-reports/mutation/changed.incremental.json}"

changed_files() {
  if [ -n "${MUTATION_BASE:-}" ]; then
    git diff --name-only --diff-filter=ACMR "$(git merge-base "${MUTATION_BASE}" HEAD)" HEAD
  elif git rev-parse -q --verify 'HEAD~1^{commit}' >/dev/null; then
    git diff --name-only --diff-filter=ACMR HEAD~1 HEAD
  fi
  git diff --name-only --diff-filter=ACMR HEAD
  git ls-files --others --exclude-standard
}

# The domain files of stryker.config.json's `mutate` (one pattern per line: `**` any depth, `*` within a name;
# a leading `!` excludes). A changed `<name>.unit.spec.ts` stands for its `<name>.ts`: a weaker test is a change too.
targets=$(changed_files | sort -u | node -e '
  const fs = require("node:fs");
  const { mutate } = JSON.parse(fs.readFileSync("stryker.config.json", "utf8"));
  const toRegExp = (glob) => new RegExp("^" + glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*\*\//g, "\u0000").replace(/\*\*/g, ".*").replace(/\*/g, "[^/]*").replace(/\u0000/g, "(?:.*/)?") + "$");
  const include = mutate.filter((p) => !p.startsWith("!")).map(toRegExp);
  const exclude = mutate.filter((p) => p.startsWith("!")).map((p) => toRegExp(p.slice(1)));
  const isDomain = (file) => include.some((r) => r.test(file)) && !exclude.some((r) => r.test(file));
  const files = new Set();
  for (const line of fs.readFileSync(0, "utf8").split("\n").filter(Boolean)) {
    const source = line.replace(/\.unit\.spec\.ts$/, ".ts");
    if (isDomain(source) && fs.existsSync(source)) files.add(source);
  }
  process.stdout.write([...files].sort().join("\n"));
')

if [ -z "${targets}" ]; then
  echo "mutation: no domain file changed, nothing to mutate ($(( $(date +%s) - started )) s)"
  exit 0
fi

echo "mutation: the changed domain files:"
echo "${targets}" | sed 's/^/  /'
mkdir -p tmp reports/mutation
config=tmp/stryker.changed.config.json
# The project's configuration with only those files to mutate, its own incremental file and report.
TARGETS="${targets}" INCREMENTAL_FILE="${incremental_file}" node -e '
  const fs = require("node:fs");
  const config = JSON.parse(fs.readFileSync("stryker.config.json", "utf8"));
  delete config.$schema;
  config.mutate = process.env.TARGETS.split("\n");
  config.incremental = true;
  config.incrementalFile = process.env.INCREMENTAL_FILE;
  config.reporters = ["clear-text", "progress", "json"];
  config.jsonReporter = { fileName: "reports/mutation/changed.json" };
  fs.writeFileSync(process.argv[1], JSON.stringify(config, null, 2));
' "${config}"
status=0
stryker run "${config}" || status=$?
echo "mutation: finished in $(( $(date +%s) - started )) s with status ${status} (break below $(node -p 'require("./stryker.config.json").thresholds.break') %)"
exit "${status}"
