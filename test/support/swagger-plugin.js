// ts-jest AST transformer applying @nestjs/swagger's compiler plugin with the options of nest-cli.json.
const plugin = require('@nestjs/swagger/plugin');
const nestCli = require('../../nest-cli.json');

const options = nestCli.compilerOptions.plugins.find(
  (entry) => entry.name === '@nestjs/swagger',
).options;

module.exports.name = 'nestjs-swagger-transformer';
module.exports.version = 1;
module.exports.factory = (compiler) => plugin.before(options, compiler.program);
