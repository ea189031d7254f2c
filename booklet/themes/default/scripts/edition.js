/* The reading edition's language switch and search (booklet.outputs.html_edition).
 * Without this script every block shows in both languages and nothing is lost.
 * It makes no request: the search index is `search-index.js`, loaded by the page. */
(function () {
  "use strict";
  var root = document.documentElement;
  var body = document.body;
  var languages = (body.getAttribute("data-languages") || "").split(" ");
  var key = "booklet-show:" + (body.getAttribute("data-book") || "");
  var firstLang = root.getAttribute("lang");
  var firstDir = root.getAttribute("dir");

  function stored() {
    try { return window.localStorage.getItem(key) || "both"; } catch (e) { return "both"; }
  }
  function store(value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode */ }
  }
  function outermost(element) {
    var parent = element.parentElement && element.parentElement.closest("[lang]");
    return parent === root;
  }
  function show(value) {
    if (value !== "both" && languages.indexOf(value) < 0) { value = "both"; }
    root.setAttribute("data-show", value);
    var index = languages.indexOf(value);
    // Blocks go by their place (an untranslated block shows its original, in the
    // original's language, in the translation's place); other text by its language.
    var versions = document.querySelectorAll("main .version");
    for (var i = 0; i < versions.length; i++) {
      var own = versions[i].classList.contains("version-" + index);
      versions[i].classList.toggle("is-hidden", index >= 0 && !own);
    }
    var marked = document.querySelectorAll("body [lang]");
    for (var j = 0; j < marked.length; j++) {
      var element = marked[j];
      if (element.closest(".choices, .version") || !outermost(element)) { continue; }
      element.classList.toggle("is-hidden", index >= 0 && element.getAttribute("lang") !== value);
    }
    var seps = document.querySelectorAll(".sep");
    for (var k = 0; k < seps.length; k++) {
      seps[k].classList.toggle("is-hidden", index >= 0 && !seps[k].closest(".choices"));
    }
    var shown = index >= 0 ? document.querySelector('.choices [lang="' + value + '"]') : null;
    root.setAttribute("lang", index >= 0 ? value : firstLang);
    root.setAttribute("dir", shown ? shown.getAttribute("dir") : firstDir);
    var radios = document.querySelectorAll('.lang-switch input[name="show"]');
    for (var r = 0; r < radios.length; r++) { radios[r].checked = radios[r].value === value; }
  }

  var fieldset = document.querySelector(".lang-switch");
  if (fieldset && languages.length > 1) {
    fieldset.hidden = false;
    fieldset.addEventListener("change", function (event) {
      var value = event.target.value;
      store(value);
      show(value);
    });
  }
  show(languages.length > 1 ? stored() : "both");

  // A link to a block the switch hides (a search result): show both languages.
  function reveal() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.closest(".is-hidden")) {
      show("both");
      target.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", reveal);
  reveal();

  /* Search: terms made exactly as booklet.outputs.search_index makes them. */
  var UNSPACED = [[0x0E00, 0x0EFF], [0x1000, 0x109F], [0x1780, 0x17FF], [0x3040, 0x30FF],
    [0x3400, 0x4DBF], [0x4E00, 0x9FFF], [0xF900, 0xFAFF], [0x20000, 0x3FFFF]];
  var MARK = /\p{M}/u;
  var WORD = /[\p{L}\p{N}\p{M}]/u;
  function unspaced(ch) {
    var code = ch.codePointAt(0);
    for (var i = 0; i < UNSPACED.length; i++) {
      if (code >= UNSPACED[i][0] && code <= UNSPACED[i][1]) { return true; }
    }
    return false;
  }
  function fold(text) {
    var out = "";
    var base = 0;
    var lower = text.normalize("NFKD").toLowerCase().replace(/ß/g, "ss").replace(/ς/g, "σ");
    for (var ch of lower) {
      if (MARK.test(ch)) {
        if (base < 0x0700) { continue; }
      } else if (ch === "\u0640") {
        continue;
      } else {
        base = ch.codePointAt(0);
      }
      out += ch;
    }
    return out.normalize("NFC");
  }
  function terms(text) {
    var found = [];
    var run = [];
    var inUnspaced = false;
    function flush() {
      if (!run.length) { return; }
      if (inUnspaced && run.length > 1) {
        for (var i = 0; i + 1 < run.length; i++) { found.push(run[i] + run[i + 1]); }
      } else {
        found.push(run.join(""));
      }
      run = [];
    }
    for (var ch of fold(text)) {
      if (!WORD.test(ch)) { flush(); continue; }
      var kind = unspaced(ch) || (inUnspaced && MARK.test(ch));
      if (run.length && kind !== inUnspaced) { flush(); }
      inUnspaced = kind;
      run.push(ch);
    }
    flush();
    return found;
  }
  function find(query, index) {
    var wanted = terms(query);
    if (!wanted.length) { return null; }
    var keys = Object.keys(index.terms);
    var hits = null;
    for (var i = 0; i < wanted.length; i++) {
      var docs = {};
      for (var k = 0; k < keys.length; k++) {
        if (keys[k].lastIndexOf(wanted[i], 0) === 0) {
          var list = index.terms[keys[k]];
          for (var d = 0; d < list.length; d++) { docs[list[d]] = true; }
        }
      }
      if (hits === null) {
        hits = docs;
      } else {
        var both = {};
        for (var h in hits) { if (docs[h]) { both[h] = true; } }
        hits = both;
      }
    }
    return Object.keys(hits).map(Number).sort(function (a, b) { return a - b; });
  }

  var form = document.querySelector("form.search");
  var index = window.BOOKLET_SEARCH;
  if (!form || !index) { return; }
  form.hidden = false;
  var input = form.querySelector("input");
  var results = form.querySelector(".search-results");
  var none = form.querySelector(".search-none");
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  input.addEventListener("input", function () {
    var found = find(input.value, index);
    results.textContent = "";
    if (found === null) { return; }
    if (!found.length) {
      var empty = none.cloneNode(true);
      empty.hidden = false;
      results.appendChild(empty);
      return;
    }
    var list = document.createElement("ol");
    found.slice(0, 50).forEach(function (number) {
      var doc = index.docs[number];
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = doc[0];
      link.lang = doc[1];
      link.dir = "auto";
      var where = document.createElement("span");
      where.className = "search-page";
      where.textContent = index.pages[doc[3]];
      var text = document.createElement("span");
      text.textContent = doc[2];
      link.appendChild(where);
      link.appendChild(text);
      item.appendChild(link);
      list.appendChild(item);
    });
    results.appendChild(list);
  });
})();
