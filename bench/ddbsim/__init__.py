"""ddbsim: a discrete-event model, in virtual time, of DynamoDB's rules (docs/model.md)."""
