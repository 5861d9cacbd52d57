"""The learned scorer over the lexicon (issue 18; model card in docs/MODEL.md).

The lexicon and the parse propose candidate events; linear models trained by
``make model`` decide each one's PLOVER type, CAMEO code and (source, target)
pair, and give it a calibrated confidence.
"""

from dyadwatch.coder.scoring.features import Candidate, Mentioned
from dyadwatch.coder.scoring.model import Rescorer, Scorer, ScorerWeights, confident, load_weights
from dyadwatch.coder.scoring.propose import SentenceView, mentioned_actors, propose

__all__ = [
    "Candidate",
    "Mentioned",
    "Rescorer",
    "Scorer",
    "ScorerWeights",
    "SentenceView",
    "confident",
    "load_weights",
    "mentioned_actors",
    "propose",
]
