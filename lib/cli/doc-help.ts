/** `agri-play doc --help` (apart from doc.ts, which loads every module to describe it). */
export const DOC_HELP = `usage: agri-play doc [MODULE] [-t module|filter|test|lookup]

  agri-play doc               the modules, with the names they answer to
  agri-play doc copy          one module: parameters (type, default, choices, aliases), returns, an example
  agri-play doc -t filter     the template filters (also -t test, -t lookup)`;
