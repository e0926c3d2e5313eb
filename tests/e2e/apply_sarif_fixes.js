// Applies the `fixes` of a mapsafe SARIF log to the files it names, the way
// a SARIF viewer does: regions are 1-based lines and UTF-16 columns (the
// log's columnKind), and JavaScript strings are UTF-16 too.
// usage: node apply_sarif_fixes.js LOG.sarif SRCROOT_DIR
'use strict';
const fs = require('fs');
const path = require('path');

const [logPath, root] = process.argv.slice(2);
const log = JSON.parse(fs.readFileSync(logPath, 'utf8'));
const run = log.runs[0];
if (run.columnKind !== 'utf16CodeUnits') throw new Error('unexpected columnKind ' + run.columnKind);

const perFile = new Map();
for (const result of run.results || []) {
  if ((result.suppressions || []).length) continue; // accepted as it is
  for (const fix of result.fixes || []) {
    for (const change of fix.artifactChanges) {
      const uri = change.artifactLocation.uri;
      if (!perFile.has(uri)) perFile.set(uri, []);
      perFile.get(uri).push(...change.replacements);
    }
  }
}

function offset(lineStarts, line, column) {
  return lineStarts[line - 1] + column - 1;
}

for (const [uri, replacements] of perFile) {
  const file = path.join(root, decodeURIComponent(uri));
  let text = fs.readFileSync(file, 'utf8');
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const edits = replacements.map((r, order) => {
    const d = r.deletedRegion;
    return {
      start: offset(lineStarts, d.startLine, d.startColumn),
      end: offset(lineStarts, d.endLine ?? d.startLine, d.endColumn ?? d.startColumn),
      text: r.insertedContent ? r.insertedContent.text : '',
      order,
    };
  });
  // Last edit first, so earlier offsets stay valid; same offset: later first.
  edits.sort((a, b) => b.start - a.start || b.order - a.order);
  for (const e of edits) text = text.slice(0, e.start) + e.text + text.slice(e.end);
  fs.writeFileSync(file, text);
}
