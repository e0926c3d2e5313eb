// Checks a SARIF log written by `mapsafe --fix`.
// usage: node check_fix_log.js LOG.sarif EXPECTED_RESULTS [NOTIFICATION_TEXT]
// Fails unless the log has EXPECTED_RESULTS unsuppressed MS301 results, no warning or
// error notification other than one containing NOTIFICATION_TEXT, and (when
// NOTIFICATION_TEXT is given) such a notification.
'use strict';
const fs = require('fs');
const [logPath, expected, wanted] = process.argv.slice(2);
const run = JSON.parse(fs.readFileSync(logPath, 'utf8')).runs[0];
// Suppressed results stay in the log (interface.md) but are not counted.
const results = (run.results || []).filter(
  (r) => r.ruleId === 'MS301' && !(r.suppressions || []).length);
const notes = (run.invocations || []).flatMap((i) => i.toolExecutionNotifications || []);
const problems = [];
if (results.length !== Number(expected))
  problems.push(`expected ${expected} MS301 results, got ${results.length}`);
let seen = false;
for (const n of notes) {
  const text = n.message.text;
  if (wanted && text.includes(wanted)) {
    seen = true;
    continue;
  }
  if (n.level === 'warning' || n.level === 'error') problems.push(`notification: ${text}`);
}
if (wanted && !seen) problems.push(`no notification containing "${wanted}"`);
if (problems.length) {
  for (const p of problems) console.error('FAIL: ' + p);
  process.exit(1);
}
