"""Citizen Portal: a national public complaint system."""
