#!/usr/bin/env node
// Validates mapsafe SARIF logs against the official SARIF 2.1.0 schema
// (JSON Schema draft-04, through ajv 8 + ajv-draft-04 + ajv-formats), then
// checks the parts of interface.md that the schema cannot express.
//
// usage: node validate.js SCHEMA LOG.sarif...
'use strict';

const fs = require('fs');
const path = require('path');
const Ajv = require('ajv-draft-04');
const addFormats = require('ajv-formats');

function contractErrors(log) {
  const errors = [];
  const fail = (msg) => errors.push(msg);
  if (log.$schema !== 'https://json.schemastore.org/sarif-2.1.0.json') fail('$schema is not the schemastore SARIF 2.1.0 URI');
  if (log.version !== '2.1.0') fail('version is not 2.1.0');
  if (!Array.isArray(log.runs) || log.runs.length !== 1) return ['expected exactly one run'];
  const run = log.runs[0];
  if (run.columnKind !== 'utf16CodeUnits') fail('columnKind is not utf16CodeUnits');
  const root = run.originalUriBaseIds && run.originalUriBaseIds['%SRCROOT%'];
  if (!root || !/^file:\/\/\/.*\/$/.test(root.uri)) fail('%SRCROOT% must be an absolute file URI ending in /');
  const driver = run.tool && run.tool.driver;
  for (const key of ['name', 'version', 'semanticVersion', 'informationUri']) {
    if (!driver || !driver[key]) fail(`tool.driver.${key} is missing`);
  }
  const rules = (driver && driver.rules) || [];
  const wanted = ['MS001', 'MS002', 'MS101', 'MS201', 'MS202', 'MS301'];
  for (const id of wanted) {
    if (!rules.some((r) => r.id === id)) fail(`rules[] lacks ${id}`);
  }
  rules.forEach((r, i) => {
    if (!r.name) fail(`rules[${i}] has no name`);
    for (const d of ['shortDescription', 'fullDescription']) {
      if (!r[d] || !r[d].text || r[d].text.length > 1024) fail(`rules[${i}].${d} missing or over 1024 characters`);
    }
    if (!r.help || !r.help.text || !r.help.markdown) fail(`rules[${i}] has no help text and markdown`);
    else if (!/##\s*Bad/.test(r.help.markdown) || !/##\s*Good/.test(r.help.markdown)) fail(`rules[${i}] help lacks a Bad and a Good example`);
    if (!r.defaultConfiguration || !r.defaultConfiguration.level) fail(`rules[${i}] has no default level`);
    const p = r.properties || {};
    if (!Array.isArray(p.tags) || !p.precision || !p['problem.severity']) fail(`rules[${i}] lacks tags, precision or problem.severity`);
  });
  const inv = run.invocations && run.invocations[0];
  if (!inv || typeof inv.executionSuccessful !== 'boolean') fail('invocations[0].executionSuccessful is missing');

  const checkRegion = (where, reg) => {
    if (!reg) return fail(`${where}: no region`);
    for (const k of ['startLine', 'startColumn', 'endLine', 'endColumn']) {
      if (!Number.isInteger(reg[k]) || reg[k] < 1) fail(`${where}: region.${k} must be an integer >= 1`);
    }
    if (reg.endLine < reg.startLine || (reg.endLine === reg.startLine && reg.endColumn < reg.startColumn)) fail(`${where}: region ends before it starts`);
  };
  const checkArtifact = (where, loc) => {
    if (!loc || !loc.uri) return fail(`${where}: no artifact uri`);
    if (!loc.uri.startsWith('file://') && loc.uriBaseId !== '%SRCROOT%') fail(`${where}: relative uri without uriBaseId %SRCROOT%`);
    if (loc.uri.startsWith('/')) fail(`${where}: absolute path used as a relative uri`);
  };
  (run.results || []).forEach((res, i) => {
    const where = `results[${i}]`;
    if (!res.ruleId || !Number.isInteger(res.ruleIndex) || !rules[res.ruleIndex] || rules[res.ruleIndex].id !== res.ruleId) fail(`${where}: ruleId/ruleIndex do not match rules[]`);
    if (!res.level) fail(`${where}: no level`);
    if (!res.message || !res.message.text) fail(`${where}: no message.text`);
    const loc = res.locations && res.locations[0] && res.locations[0].physicalLocation;
    if (!loc) fail(`${where}: no locations[0].physicalLocation`);
    else {
      checkArtifact(where, loc.artifactLocation);
      checkRegion(where, loc.region);
    }
    const ids = new Set();
    (res.relatedLocations || []).forEach((rl, k) => {
      if (!Number.isInteger(rl.id)) fail(`${where}.relatedLocations[${k}] has no id`);
      ids.add(rl.id);
      checkArtifact(`${where}.relatedLocations[${k}]`, rl.physicalLocation && rl.physicalLocation.artifactLocation);
      checkRegion(`${where}.relatedLocations[${k}]`, rl.physicalLocation && rl.physicalLocation.region);
    });
    const links = [...((res.message && res.message.text) || '').matchAll(/\[[^\]]*\]\((\d+)\)/g)].map((m) => Number(m[1]));
    for (const id of links) if (!ids.has(id)) fail(`${where}: message links to related location ${id}, which does not exist`);
    for (const id of ids) if (!links.includes(id)) fail(`${where}: related location ${id} is not linked from the message`);
    if (!res.partialFingerprints || !res.partialFingerprints['mapsafe/v1']) fail(`${where}: no mapsafe/v1 fingerprint`);
    if (res.partialFingerprints && res.partialFingerprints.primaryLocationLineHash) fail(`${where}: primaryLocationLineHash must not be emitted`);
    if (!Array.isArray(res.suppressions)) fail(`${where}: suppressions must be an array`);
    if (res.ruleId === 'MS201' && !(res.codeFlows && res.codeFlows.length)) fail(`${where}: MS201 needs codeFlows`);
  });
  return errors;
}

function main() {
  const [schemaPath, ...logs] = process.argv.slice(2);
  if (!schemaPath || logs.length === 0) {
    console.error('usage: node validate.js SCHEMA LOG.sarif...');
    process.exit(2);
  }
  if (!fs.existsSync(schemaPath)) {
    console.error(`SARIF schema not found: ${schemaPath}`);
    process.exit(2);
  }
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));
  let bad = 0;
  for (const file of logs) {
    let log;
    try {
      log = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      console.error(`FAIL ${file}: not JSON: ${e.message}`);
      bad++;
      continue;
    }
    const errors = [];
    if (!validate(log)) {
      for (const e of validate.errors) errors.push(`schema: ${e.instancePath || '/'} ${e.message}`);
    }
    errors.push(...contractErrors(log));
    if (errors.length) {
      bad++;
      console.error(`FAIL ${path.relative(process.cwd(), file) || file}`);
      for (const e of errors.slice(0, 60)) console.error(`  ${e}`);
    } else {
      console.log(`ok ${path.relative(process.cwd(), file) || file} (${log.runs[0].results.length} results)`);
    }
  }
  process.exit(bad ? 1 : 0);
}

main();
