// Answers questions with static/pgcore.js for tests/test_pgcore.py: reads {"index", "questions"} as JSON
// on stdin and writes one answer per question as JSON on stdout.
"use strict";
const path = require("path");
const PGCore = require(path.join(process.argv[2], "pgcore.js"));
let text = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (d) => { text += d; });
process.stdin.on("end", () => {
  const { index, questions } = JSON.parse(text);
  const core = PGCore.open(index);
  const chains = (parent, xs) => xs.map((x) => core.chain(parent, x));
  const answers = questions.map(([what, ...args]) => {
    switch (what) {
      case "prereqs": {
        const r = core.prerequisites(args[0], args[1], args[2]);
        return [r.papers, r.concepts, r.background, chains(r.parent, Array.from(r.parent.keys())),
          r.components, r.recommended, r.recommended.map((x) => [args[0], r.via.get(x), x])];
      }
      case "unlocks": {
        const u = core.unlocks(args[0], args[1]);
        return [u.papers, u.direct, chains(u.parent, u.papers)];
      }
      case "why": return core.why(args[0], args[1]);
      case "order": return core.readingOrder(null, args[0], false);
      case "kahn": return core.kahn(args[0], args[1]);
      case "plan": return core.plan(args[0], args[1], args[2]);
      case "next": return core.nextPapers(args[0], args[1]);
      case "stage": return core.stagePapers(args[0], args[1]);
      case "check": {
        const r = core.checkOrder(args[0], args[1]);
        return [r.valid, r.violations.map((v) => [v.paper, v.needs, v.why, v.missing]), r.missing, r.duplicates];
      }
      case "fold": return PGCore.fold(args[0]);
      default: throw new Error("unknown question " + what);
    }
  });
  process.stdout.write(JSON.stringify(answers));
});
