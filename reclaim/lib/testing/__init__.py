"""Test helpers shared by the apps: import the fixtures a test module needs from here."""
