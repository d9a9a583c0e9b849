console.log('sim-train: not implemented yet');
