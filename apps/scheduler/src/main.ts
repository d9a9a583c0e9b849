console.log('scheduler: not implemented yet');
