"""WTForms shared by blueprints: validators and the questionnaire form factory."""
