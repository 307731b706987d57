"""The site's task workers: `manage.py task_worker`, reporting in, stuck-task recovery."""
