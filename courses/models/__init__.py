from .people import TrainerProfile
from .settings import FundingSettings

__all__ = ["FundingSettings", "TrainerProfile"]
