"""Pure rules of membership transfers (组织关系转接): the 介绍信's number, its validity and the member's age on it."""
