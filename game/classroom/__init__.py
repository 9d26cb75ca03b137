"""A class: trainees playing in browsers (`accord serve`), the instructor's live view
(`accord class`) and the class's exports (`accord report --out`).

A class folder holds one folder per trainee, named by a safe slug of the trainee's name
(game.classroom.names), with that trainee's saves and a `.trainee` file holding the name as typed.
"""
