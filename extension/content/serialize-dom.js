// The live DOM as HTML, for the dom_html artifact. A classic script, injected on demand before
// page-capture.js; defines globalThis.sipansosSerializeDom(document) → string, and its
// shadowRootOf(element) helper for page-capture.js.
//
// Unlike outerHTML it keeps what the operator saw: the current values of form controls, open
// and closed shadow roots (as declarative shadow DOM, with their constructed stylesheets),
// canvases (as PNG images), CSS rules inserted through the CSSOM, and the doctype. Elements of
// the extension's own UI (data-sipansos-ui) are left out; password values are never written.
(() => {
  if (globalThis.sipansosSerializeDom) return;

  const UI_ATTR = "data-sipansos-ui";

  function shadowRootOf(element) {
    if (element.shadowRoot) return element.shadowRoot;
    try {
      return globalThis.chrome?.dom?.openOrClosedShadowRoot?.(element) || null;
    } catch {
      return null;
    }
  }

  const VOID = new Set([
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
    "keygen", "link", "meta", "param", "source", "track", "wbr",
  ]);
  const RAW_TEXT = new Set([
    "script", "style", "xmp", "iframe", "noembed", "noframes", "plaintext", "noscript",
  ]);
  const HTML_NS = "http://www.w3.org/1999/xhtml";

  const escapeText = (text) =>
    text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\u00a0/g, "&nbsp;");
  const escapeAttr = (text) =>
    text
      .replace(/&/g, "&amp;")
      .replace(/"/g, "&quot;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/\u00a0/g, "&nbsp;");

  function doctypeText(doctype) {
    if (!doctype) return "";
    let text = `<!DOCTYPE ${doctype.name}`;
    if (doctype.publicId) text += ` PUBLIC "${doctype.publicId}"`;
    if (doctype.systemId) text += `${doctype.publicId ? "" : " SYSTEM"} "${doctype.systemId}"`;
    return `${text}>`;
  }

  function adoptedCss(root) {
    const sheets = root.adoptedStyleSheets || [];
    const parts = [];
    for (const sheet of sheets) {
      try {
        parts.push(Array.from(sheet.cssRules, (rule) => rule.cssText).join("\n"));
      } catch {
        // unreadable sheet
      }
    }
    return parts.length ? `<style data-sipansos-adopted="">${parts.join("\n")}</style>` : "";
  }

  /** Attributes as [name, value], with the live state of form controls written back. */
  function attributesOf(element, tag) {
    const attrs = Array.from(element.attributes, (attr) => [attr.name, attr.value]);
    const set = (name, value) => {
      const index = attrs.findIndex(([n]) => n === name);
      if (value === null) {
        if (index >= 0) attrs.splice(index, 1);
      } else if (index >= 0) {
        attrs[index][1] = value;
      } else {
        attrs.push([name, value]);
      }
    };
    if (tag === "input") {
      const type = (element.type || "text").toLowerCase();
      if (type === "checkbox" || type === "radio") set("checked", element.checked ? "" : null);
      else if (type !== "password" && type !== "file") set("value", element.value);
    } else if (tag === "option") {
      set("selected", element.selected ? "" : null);
    }
    return attrs;
  }

  function openTag(tag, attrs) {
    let text = `<${tag}`;
    for (const [name, value] of attrs) text += value === "" ? ` ${name}=""` : ` ${name}="${escapeAttr(value)}"`;
    return `${text}>`;
  }

  function serializeCanvas(element, out) {
    let dataUrl = null;
    try {
      dataUrl = element.toDataURL("image/png");
    } catch {
      dataUrl = null; // a tainted canvas cannot be read
    }
    const attrs = Array.from(element.attributes, (attr) => [attr.name, attr.value]);
    if (!dataUrl || dataUrl.length < 30) {
      out.push(openTag("canvas", [...attrs, ["data-sipansos-canvas", "unreadable"]]), "</canvas>");
      return;
    }
    const keep = attrs.filter(([name]) => name !== "src");
    if (!keep.some(([name]) => name === "width")) keep.push(["width", String(element.width)]);
    if (!keep.some(([name]) => name === "height")) keep.push(["height", String(element.height)]);
    out.push(openTag("img", [...keep, ["data-sipansos-canvas", ""], ["src", dataUrl]]));
  }

  function styleText(element) {
    const text = element.textContent;
    if (text.trim()) return text;
    // CSS-in-JS libraries insert rules through the CSSOM and leave the element empty.
    try {
      return Array.from(element.sheet?.cssRules || [], (rule) => rule.cssText).join("\n");
    } catch {
      return text;
    }
  }

  function serializeChildren(parent, out, raw) {
    for (let node = parent.firstChild; node; node = node.nextSibling) serializeNode(node, out, raw);
  }

  function serializeNode(node, out, raw = false) {
    switch (node.nodeType) {
      case Node.ELEMENT_NODE:
        serializeElement(node, out);
        break;
      case Node.TEXT_NODE:
        out.push(raw ? node.data : escapeText(node.data));
        break;
      case Node.COMMENT_NODE:
        out.push(`<!--${node.data}-->`);
        break;
      default:
        break;
    }
  }

  function serializeElement(element, out) {
    if (element.hasAttribute(UI_ATTR)) return;
    const html = element.namespaceURI === HTML_NS;
    const tag = html ? element.localName.toLowerCase() : element.localName;
    if (html && tag === "canvas") {
      serializeCanvas(element, out);
      return;
    }
    out.push(openTag(tag, attributesOf(element, html ? tag : "")));
    if (html && VOID.has(tag)) return;
    const shadow = shadowRootOf(element);
    if (shadow) {
      const extra = shadow.delegatesFocus ? " shadowrootdelegatesfocus" : "";
      out.push(`<template shadowrootmode="${shadow.mode}"${extra}>`, adoptedCss(shadow));
      serializeChildren(shadow, out, false);
      out.push("</template>");
    }
    if (html && tag === "template" && element.content) {
      serializeChildren(element.content, out, false);
    } else if (html && tag === "textarea") {
      out.push(escapeText(element.value));
    } else if (html && tag === "style") {
      out.push(styleText(element));
    } else {
      serializeChildren(element, out, html && RAW_TEXT.has(tag));
    }
    if (html && tag === "head") out.push(adoptedCss(element.ownerDocument));
    out.push(`</${tag}>`);
  }

  globalThis.sipansosSerializeDom = (doc) => {
    const out = [doctypeText(doc.doctype)];
    if (doc.documentElement) serializeElement(doc.documentElement, out);
    return out.join("");
  };
  globalThis.sipansosSerializeDom.shadowRootOf = shadowRootOf;
})();
