"""The report pack: a corridor chapter and the whole-city report, as an editable Word document
(and, from it, a PDF), every number traced to its source."""
