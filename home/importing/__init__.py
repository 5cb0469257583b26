"""Importing Markdown files with YAML front matter (Hugo sites) as Wagtail pages.

document: reads a file into front matter and body, with line numbers for errors.
body: turns the Markdown body into StreamField blocks.
registry: the page types the importer knows; apps register their own mappings.
runner: imports a set of files, each in its own transaction, and reports on every file.
"""
