"""Self-management: diary entries, strengths, goals, check-ins, trends, my next steps."""
