// Opens a reading edition (booklet.outputs.html_edition) in headless Chromium from file://
// and reports, as one JSON line, what tests/test_html_edition.py asserts: the requests
// made, axe-core's violations per page and language, horizontal scroll at phone width,
// search results, and the language switch. Usage:
//   node edition.mjs <folder> <modules folder> <json options>
import { createRequire } from "node:module";
import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [folder, modules, optionsText] = process.argv.slice(2);
const options = JSON.parse(optionsText || "{}");
const require = createRequire(path.join(path.resolve(modules), "node_modules", "x.js"));
const puppeteer = require("puppeteer-core");
const axePath = require.resolve("axe-core/axe.min.js");

const root = pathToFileURL(path.resolve(folder)).href + "/";
const pages = readdirSync(folder).filter((name) => name.endsWith(".html")).sort();
const report = { requests: [], outside: [], axe: {}, scroll: {}, search: {}, switch: null, shots: [] };

const browser = await puppeteer.launch({
  executablePath: options.chromium || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--allow-file-access-from-files", "--disable-gpu"],
});
try {
  const page = await browser.newPage();
  page.on("request", (request) => {
    const url = request.url();
    report.requests.push(url);
    if (!url.startsWith(root)) { report.outside.push(url); }
  });
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.setViewport({ width: 360, height: 740 });

  async function open(name) {
    await page.goto(root + name, { waitUntil: "load" });
  }
  async function axe() {
    await page.addScriptTag({ path: axePath });
    return page.evaluate(async () => {
      const result = await window.axe.run(document, { resultTypes: ["violations"] });
      return result.violations.map((v) => ({
        id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
      }));
    });
  }
  async function choose(value) {
    await page.evaluate((v) => {
      const input = document.querySelector(`.lang-switch input[value="${v}"]`);
      input.click();
    }, value);
  }
  const languages = await (async () => {
    await open("index.html");
    return page.evaluate(() => document.body.dataset.languages.split(" "));
  })();
  for (const name of pages) {
    for (const show of ["both", ...languages]) {
      await open(name);
      await choose(show);
      const violations = await axe();
      report.axe[`${name} ${show}`] = violations;
      for (const zoom of ["100%", "200%"]) {
        const width = await page.evaluate((z) => {
          document.documentElement.style.fontSize = z;
          const w = document.documentElement.scrollWidth;
          document.documentElement.style.fontSize = "";
          return w;
        }, zoom);
        report.scroll[`${name} ${show} ${zoom}`] = width;
      }
    }
  }
  await open("index.html");
  await choose("both");
  for (const [lang, word] of Object.entries(options.search || {})) {
    await open("index.html");
    await page.type("#search-q", word);
    report.search[`${lang} ${word}`] = await page.$$eval(".search-results a", (links) =>
      links.map((a) => a.getAttribute("href")));
  }
  // The switch: reached by keyboard from the top of the page, and what it hides.
  const chapter = pages.find((name) => name.startsWith("chapter-"));
  await open(chapter);
  await choose("both");
  const visible = () => page.evaluate(() =>
    [...document.querySelectorAll("main .version")].filter((e) => e.offsetParent !== null).map((e) => e.lang));
  const before = await visible();
  let reached = null;
  for (let i = 0; i < 12 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => {
      const a = document.activeElement;
      return a && a.name === "show" ? a.value : null;
    });
  }
  let after = before;
  let kept = null;
  if (reached) {
    await page.keyboard.press("ArrowRight");
    after = await visible();
    await open("index.html");
    kept = await page.evaluate(() => document.documentElement.dataset.show);
  }
  report.switch = { reached, before, after, kept };
  for (const [name, file, show, query] of options.shots || []) {
    await open(name);
    await choose(show);
    if (query) { await page.type("#search-q", query); }
    await page.screenshot({ path: file, fullPage: false });
    report.shots.push(file);
  }
  await choose("both");
  report.errors = errors;
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report) + "\n");
