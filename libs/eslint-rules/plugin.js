module.exports = { rules: { 'transaction-manager-only': require('./transaction-manager-only') } };
