"""Reusable UI pieces: the page shell, figure builders, tables, messages. Imports engine, never pages or app."""
