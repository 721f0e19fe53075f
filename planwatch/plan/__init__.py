"""Reading plan documents into the catalogue (plan text → Plan → Domain → Target → Indicator)."""
