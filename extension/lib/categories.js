// Violation categories. The list comes from the server (GET /api/v1/categories, Referensi); this
// copy of its default codes is used only before the first answer, e.g. offline right after
// installing. Labels of these codes: _locales "category_<code>".

export const FALLBACK_CATEGORIES = Object.freeze([
  "netralitas_asn",
  "netralitas_tni",
  "netralitas_polri",
  "netralitas_penyelenggara",
  "netralitas_kepala_desa",
  "hoaks",
  "ujaran_kebencian_sara",
  "konten_kampanye",
  "lainnya",
]);

export const DEFAULT_CATEGORY = "lainnya";

/** The label of a category from the server ({code, name}) or the built-in list. */
export function categoryLabel(category, translate) {
  return category.name || translate(`category_${category.code}`, undefined, category.code);
}
