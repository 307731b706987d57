"""The funder's participant record: layouts as data, rows, and what is missing.

A layout (data/sl2014.json, data/cst2021.json) names the columns of the monitoring
system's import file in their order, the words its dictionaries use, and its source
and version: a change of the funder's dictionary is a change of that file. The rows
(rows.py) are read from the platform's data; nothing in them is a fixed text for
everyone.
"""
