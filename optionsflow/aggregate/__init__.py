"""Flow aggregates: daily partials and the weekly views built from them."""

from optionsflow.aggregate.partials import daily_flow, merge_partials
from optionsflow.aggregate.share import participant_share
from optionsflow.aggregate.skew import sector_skew
from optionsflow.aggregate.streaks import call_buying_streak
from optionsflow.aggregate.weekly import weekly_flow

__all__ = [
    "call_buying_streak",
    "daily_flow",
    "merge_partials",
    "participant_share",
    "sector_skew",
    "weekly_flow",
]
