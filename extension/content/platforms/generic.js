/*
 * Fallback extractor for any page: JSON-LD, microdata, OpenGraph / article:* / Twitter cards,
 * <meta name=author>, <link rel=canonical>. The dispatcher also uses it to fill the gaps a
 * platform extractor leaves, when both describe the same post.
 */
(() => {
  // Most specific first: a page may carry a WebSite or Organization node besides the post.
  const POST_TYPES = [
    "SocialMediaPosting",
    "DiscussionForumPosting",
    "BlogPosting",
    "LiveBlogPosting",
    "NewsArticle",
    "ReportageNewsArticle",
    "Article",
    "VideoObject",
  ];

  function meta(doc, key) {
    // OpenGraph uses property=, Twitter cards name=; sites mix them up, so accept both.
    const el = doc.querySelector(`meta[property="${key}" i], meta[name="${key}" i]`);
    return el ? el.getAttribute("content") : null;
  }

  function typeRank(node) {
    let best = Infinity;
    for (const type of [].concat(node["@type"] || [])) {
      const short = String(type).split(/[/:#]/).pop();
      const i = POST_TYPES.indexOf(short);
      const rank = i >= 0 ? i : /(Article|Posting)$/.test(short) ? POST_TYPES.length : Infinity;
      best = Math.min(best, rank);
    }
    return best;
  }

  /** The best post-like JSON-LD node: top level, @graph members and mainEntity only. */
  function jsonLdPost(doc) {
    const nodes = [];
    for (const script of doc.querySelectorAll('script[type="application/ld+json" i]')) {
      let data;
      try {
        data = JSON.parse(script.textContent);
      } catch {
        continue;
      }
      for (const item of [].concat(data)) {
        if (!item || typeof item !== "object") continue;
        nodes.push(item, ...[].concat(item["@graph"] || []));
        if (item.mainEntity && typeof item.mainEntity === "object") nodes.push(item.mainEntity);
      }
    }
    // Not recursive on purpose: nested comments carry their own authors and dates.
    let best = null;
    for (const node of nodes) {
      if (node && typeof node === "object" && typeRank(node) < (best ? typeRank(best) : Infinity)) {
        best = node;
      }
    }
    return best;
  }

  const first = (value) => (Array.isArray(value) ? value[0] : value);
  const scalar = (value) => {
    const v = first(value);
    if (typeof v === "string" || typeof v === "number") return v;
    return v && typeof v === "object" ? v["@value"] || v.value || v["@id"] || null : null;
  };

  function fromJsonLd(node) {
    if (!node) return {};
    const author = first(node.author || node.creator);
    const person = author && typeof author === "object" ? author : { name: author };
    return {
      author_name: scalar(person.name),
      author_handle: scalar(person.alternateName),
      author_url: scalar(person.url),
      post_id: scalar(node.identifier),
      posted_at: [scalar(node.datePublished), scalar(node.uploadDate), scalar(node.dateCreated)],
      text: [node.articleBody, node.text, node.headline, node.description, node.name].map(scalar),
      permalink: [scalar(node.url), scalar(node.mainEntityOfPage)],
    };
  }

  function itempropValue(el) {
    if (!el) return null;
    if (el.hasAttribute("content")) return el.getAttribute("content");
    if (el.hasAttribute("datetime")) return el.getAttribute("datetime");
    if (el.hasAttribute("href")) return el.getAttribute("href");
    return el;
  }

  /** Microdata, <time datetime> and rel=author/bookmark links inside one post container. */
  function fromScope(scope) {
    if (!scope) return {};
    const prop = (name) => scope.querySelector(`[itemprop~="${name}"]`);
    const author = prop("author");
    const authorName =
      author && author.hasAttribute("itemscope")
        ? itempropValue(author.querySelector('[itemprop~="name"]'))
        : itempropValue(author);
    const authorUrl = author && author.querySelector('[itemprop~="url"]');
    const time = scope.querySelector("time[datetime]");
    const bookmark = scope.querySelector('a[rel~="bookmark"][href]');
    const relAuthor = scope.querySelector('a[rel~="author"][href]');
    return {
      author_name: [authorName, relAuthor],
      author_url: [itempropValue(authorUrl), relAuthor && relAuthor.getAttribute("href")],
      posted_at: [
        itempropValue(prop("datePublished")),
        itempropValue(prop("uploadDate")),
        time && time.getAttribute("datetime"),
      ],
      text: [itempropValue(prop("articleBody")), itempropValue(prop("text"))],
      permalink: bookmark && bookmark.getAttribute("href"),
    };
  }

  function fromMeta(doc) {
    const articleAuthor = meta(doc, "article:author");
    // article:author is a profile URL on many sites (Facebook's own convention) or a name.
    const authorIsUrl = articleAuthor && /^https?:\/\//i.test(articleAuthor.trim());
    const canonical = doc.querySelector('link[rel~="canonical" i][href]');
    const relAuthor = doc.querySelector('link[rel~="author" i][href]');
    return {
      author_name: [meta(doc, "author"), authorIsUrl ? null : articleAuthor],
      author_url: [authorIsUrl ? articleAuthor : null, relAuthor && relAuthor.getAttribute("href")],
      posted_at: [meta(doc, "article:published_time"), meta(doc, "og:published_time")],
      text: [
        meta(doc, "og:description"),
        meta(doc, "twitter:description"),
        meta(doc, "description"),
      ],
      permalink: [canonical && canonical.getAttribute("href"), meta(doc, "og:url")],
    };
  }

  /** Join candidate lists field by field, earlier sources first. */
  function merge(...sources) {
    const out = {};
    for (const source of sources) {
      for (const [field, value] of Object.entries(source)) {
        out[field] = [].concat(out[field] || [], value == null ? [] : value);
      }
    }
    return out;
  }

  globalThis.SIPANSOS_PLATFORMS = globalThis.SIPANSOS_PLATFORMS || {};
  globalThis.SIPANSOS_PLATFORMS.generic = {
    hosts: [],
    extract(doc, postElement) {
      const ld = fromJsonLd(jsonLdPost(doc));
      const tags = fromMeta(doc);
      // Structured data is more deliberate than tags, except for the URL: the canonical link is
      // the page's own statement of it.
      const page = { ...merge(ld, tags), permalink: merge(tags, ld).permalink };
      if (!postElement) {
        const article = doc.querySelector(
          "article[itemscope], [itemscope][itemtype*='Article'], article",
        );
        return merge(page, fromScope(article));
      }
      const scope = postElement.closest("article, [itemscope]") || postElement;
      const own = fromScope(scope);
      // A post marked up as its own item, or with its own permalink, is one of several (a reply
      // in a thread, an entry in a list): the page-level data would describe another post.
      const distinct = scope.hasAttribute("itemscope") || own.permalink;
      return merge(own, distinct ? {} : page, { text: scope });
    },
  };
})();
