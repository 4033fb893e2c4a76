"""Framework integrations, each in its own module that imports its framework only
when that module is imported (``mldb`` itself stays standard library only):

- ``mldb.integrations.lightning``: ``MldbLogger`` for PyTorch Lightning's Trainer;
- ``mldb.integrations.keras``: ``MldbCallback`` for Keras 3's ``model.fit``;
- ``mldb.integrations.transformers``: ``MldbCallback`` for Hugging Face's Trainer
  (and ``report_to="mldb"`` once the module is imported).
"""
