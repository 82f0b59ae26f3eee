"""First-run onboarding: the "Welcome to TimeTally" wizard and what its answers change."""

from app.ui.onboarding.wizard import OnboardingWizard

__all__ = ["OnboardingWizard"]
