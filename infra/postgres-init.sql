-- MLflow keeps its registry in its own database beside Correctly's and Temporal's.
CREATE DATABASE mlflow;
