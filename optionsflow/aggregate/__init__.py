"""Flow aggregates: daily partials and the weekly views built from them."""

from optionsflow.aggregate.partials import daily_flow, merge_partials
from optionsflow.aggregate.share import participant_share, put_call_ratio, theme_flow
from optionsflow.aggregate.skew import sector_skew
from optionsflow.aggregate.streaks import call_buying_streak
from optionsflow.aggregate.unusual import chain_activity, unusual_activity
from optionsflow.aggregate.weekly import weekly_flow

__all__ = [
    "call_buying_streak",
    "chain_activity",
    "daily_flow",
    "merge_partials",
    "participant_share",
    "put_call_ratio",
    "sector_skew",
    "theme_flow",
    "unusual_activity",
    "weekly_flow",
]
